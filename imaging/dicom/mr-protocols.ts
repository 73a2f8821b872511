/**
 * Acquisition parameters of the four sequences as a clinical 3 T brain-tumour protocol writes them
 * (the values are typical, not from one vendor): they make a converted series look like a scanner's,
 * and they are what the PACS series mapping reads besides the description.
 */
export type MrSequenceKind = 'flair' | 't1' | 't1gd' | 't2';

export interface MrProtocol {
  readonly seriesDescription: string;
  readonly protocolName: string;
  /** ScanningSequence (0018,0020): SE spin echo, IR inversion recovery, GR gradient recalled. */
  readonly scanningSequence: string[];
  readonly sequenceVariant: string[];
  readonly scanOptions: string[];
  readonly mrAcquisitionType: '2D' | '3D';
  readonly repetitionTime: number;
  readonly echoTime: number;
  readonly inversionTime?: number;
  readonly flipAngle: number;
  readonly echoTrainLength: number;
  /** Set only for the post-contrast T1 (ContrastBolusAgent, 0018,0010). */
  readonly contrastAgent?: string;
}

/** The 3D MPRAGE acquisition both T1 series use: the post-contrast one differs only in its names and agent. */
const mprage: Omit<MrProtocol, 'seriesDescription' | 'protocolName'> = {
  scanningSequence: ['GR', 'IR'],
  sequenceVariant: ['SK', 'SP', 'MP'],
  scanOptions: [],
  mrAcquisitionType: '3D',
  repetitionTime: 2300,
  echoTime: 2.98,
  inversionTime: 900,
  flipAngle: 9,
  echoTrainLength: 1,
};

export const mrProtocols: Readonly<Record<MrSequenceKind, MrProtocol>> = {
  flair: {
    seriesDescription: 'AX T2 FLAIR',
    protocolName: 'BRAIN_TUMOUR T2 FLAIR AX',
    scanningSequence: ['SE', 'IR'],
    sequenceVariant: ['SK', 'SP', 'MP'],
    scanOptions: ['FS'],
    mrAcquisitionType: '2D',
    repetitionTime: 9000,
    echoTime: 120,
    inversionTime: 2500,
    flipAngle: 150,
    echoTrainLength: 16,
  },
  t1: { ...mprage, seriesDescription: 'SAG T1 MPRAGE', protocolName: 'BRAIN_TUMOUR T1 3D PRE' },
  t1gd: {
    ...mprage,
    seriesDescription: 'SAG T1 MPRAGE POST GD',
    protocolName: 'BRAIN_TUMOUR T1 3D POST',
    contrastAgent: 'Gadobutrol 1.0 mmol/ml',
  },
  t2: {
    seriesDescription: 'AX T2 TSE',
    protocolName: 'BRAIN_TUMOUR T2 TSE AX',
    scanningSequence: ['SE'],
    sequenceVariant: ['SK'],
    scanOptions: ['FS'],
    mrAcquisitionType: '2D',
    repetitionTime: 5000,
    echoTime: 100,
    flipAngle: 150,
    echoTrainLength: 18,
  },
};
