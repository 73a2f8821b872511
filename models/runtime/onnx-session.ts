import * as ort from 'onnxruntime-node';

/** Execution providers in the order they are tried by default: GPU first, CPU always last. */
export const DEFAULT_PROVIDER_ORDER = ['cuda', 'webgpu', 'cpu'] as const;
export type ProviderName = 'cuda' | 'webgpu' | 'cpu';

export interface ModelSession {
  readonly session: ort.InferenceSession;
  /** The provider the session was created with. */
  readonly provider: ProviderName;
  readonly threads: number;
  /** Providers tried before it, with why each failed (logged). */
  readonly fallbacks: readonly { provider: ProviderName; error: string }[];
}

/**
 * Opens an ONNX model with the first execution provider that loads, logging each fallback:
 * CUDA needs onnxruntime-node's CUDA libraries (installed with ONNXRUNTIME_NODE_INSTALL=cuda12 on a
 * networked GPU host), WebGPU needs a GPU with Vulkan drivers, CPU always works. One session is
 * meant to be reused across cases.
 */
export async function openModelSession(
  modelPath: string,
  { providers = DEFAULT_PROVIDER_ORDER, threads, log = (l: string) => console.log(l) }: { providers?: readonly ProviderName[]; threads?: number; log?: (line: string) => void } = {},
): Promise<ModelSession> {
  const fallbacks: { provider: ProviderName; error: string }[] = [];
  const order = providers.includes('cpu') ? providers : [...providers, 'cpu' as const];
  const intraOpNumThreads = threads ?? 0; // 0: onnxruntime picks the number of physical cores
  for (const provider of order) {
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        intraOpNumThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        enableCpuMemArena: true,
      });
      if (fallbacks.length) log(`[inference] using execution provider '${provider}' (after ${fallbacks.map((f) => f.provider).join(', ')} failed)`);
      return { session, provider, threads: intraOpNumThreads, fallbacks };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      fallbacks.push({ provider, error: message });
      if (provider !== 'cpu') log(`[inference] execution provider '${provider}' unavailable, falling back: ${message}`);
      else throw error;
    }
  }
  throw new Error('no execution provider could load the model');
}
