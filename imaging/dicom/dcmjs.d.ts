/** The part of dcmjs (no bundled types) that imaging/dicom uses: data-set encoding and decoding. */
declare module 'dcmjs' {
  type Dataset = Record<string, unknown>;
  interface DicomDictInstance {
    dict: Dataset;
    meta: Dataset;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomDict: new (meta: Dataset) => DicomDictInstance;
      DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDictInstance };
      DicomMetaDictionary: {
        naturalizeDataset(dataset: Dataset): Dataset;
        denaturalizeDataset(dataset: Dataset): Dataset;
      };
    };
    log: { setLevel(level: string): void };
  };
  export default dcmjs;
}
