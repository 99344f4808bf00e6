import type { Scenario } from './scenario';

/**
 * The embedded demo fleet (kept identical to libs/fleet-model/scenarios/demo.yaml; a unit test compares them). Embedded
 * rather than read from disk so the in-process simulated adapters work from a compiled build without the YAML file.
 * Every pattern appears, one A100 is MIG-sliced, tenants live in three namespaces; three nodes also carry NPU cards
 * (FuriosaAI RNGD and Warboy, Rebellions ATOM).
 */
export function defaultScenario(): Scenario {
  return {
    seed: 42,
    tickSeconds: 10,
    driverVersion: '580.105.08',
    clusters: [
      {
        name: 'kcloud-east',
        nodes: [
          {
            name: 'east-gpu-01',
            gpuModel: 'NVIDIA H100 80GB HBM3',
            gpus: [
              ...Array.from({ length: 4 }, () => ({
                pattern: 'training' as const,
                namespace: 'ml-training',
                pod: 'llm-pretrain-0',
                container: 'trainer',
              })),
              {
                pattern: 'inference',
                namespace: 'inference',
                pod: 'vllm-chat-7f8d9c6b5d-x2klq',
                container: 'vllm',
              },
              {
                pattern: 'inference',
                namespace: 'inference',
                pod: 'vllm-chat-7f8d9c6b5d-m8zrt',
                container: 'vllm',
              },
              { pattern: 'notebook', namespace: 'research', pod: 'jupyter-alice-0', container: 'notebook' },
              { pattern: 'unallocated' },
            ],
          },
          {
            name: 'east-gpu-02',
            gpuModel: 'NVIDIA A100-SXM4-80GB',
            gpus: [
              {
                mig: [
                  {
                    profile: '3g.40gb',
                    instanceId: 2,
                    pattern: 'inference',
                    namespace: 'inference',
                    pod: 'triton-embed-5c9b7d8f4c-q7wnp',
                    container: 'triton',
                  },
                  {
                    profile: '1g.10gb',
                    instanceId: 9,
                    pattern: 'notebook',
                    namespace: 'research',
                    pod: 'jupyter-bob-0',
                    container: 'notebook',
                  },
                  { profile: '1g.10gb', instanceId: 10, pattern: 'unallocated' },
                ],
              },
              {
                pattern: 'dataloader-stall',
                namespace: 'ml-training',
                pod: 'resnet-finetune-h7x2c',
                container: 'trainer',
              },
              {
                pattern: 'training',
                namespace: 'ml-training',
                pod: 'bert-large-k4m9p',
                container: 'trainer',
              },
              { pattern: 'unallocated' },
            ],
          },
          {
            name: 'east-gpu-03',
            gpuModel: 'NVIDIA L40S',
            gpus: [
              {
                pattern: 'inference',
                namespace: 'inference',
                pod: 'sdxl-render-6d8f7b9c5d-w4tzn',
                container: 'diffusion',
              },
              { pattern: 'notebook', namespace: 'research', pod: 'jupyter-carol-0', container: 'notebook' },
              { pattern: 'unallocated' },
              {
                pattern: 'dataloader-stall',
                namespace: 'ml-training',
                pod: 'vit-pretrain-r2d5x',
                container: 'trainer',
              },
            ],
          },
        ],
        // NPU cards share GPU nodes here, so one node lists both kinds (the unified `accelerators` query).
        npuNodes: [
          {
            name: 'east-gpu-03',
            npuModel: 'RNGD',
            npus: [
              {
                pattern: 'inference',
                namespace: 'inference',
                pod: 'llm-rngd-7d9c8b6f5d-v5qxz',
                container: 'furiosa-llm',
              },
              { pattern: 'notebook', namespace: 'research', pod: 'jupyter-erin-0', container: 'notebook' },
            ],
          },
        ],
      },
      {
        name: 'kcloud-west',
        nodes: [
          {
            name: 'west-gpu-01',
            gpuModel: 'NVIDIA A100 80GB PCIe',
            gpus: [
              { pattern: 'training', namespace: 'ml-training', pod: 'llama-ft-0', container: 'trainer' },
              { pattern: 'training', namespace: 'ml-training', pod: 'llama-ft-0', container: 'trainer' },
              {
                pattern: 'inference',
                namespace: 'inference',
                pod: 'rerank-api-58c7d9f6b4-j3hvp',
                container: 'server',
              },
              { pattern: 'unallocated' },
            ],
          },
          {
            name: 'west-gpu-02',
            gpuModel: 'Tesla T4',
            gpus: [
              {
                pattern: 'inference',
                namespace: 'inference',
                pod: 'whisper-asr-7b5c9d6f8d-p9ksl',
                container: 'asr',
              },
              { pattern: 'notebook', namespace: 'research', pod: 'jupyter-dave-0', container: 'notebook' },
              { pattern: 'unallocated' },
              {
                pattern: 'dataloader-stall',
                namespace: 'ml-training',
                pod: 'ocr-train-b6n3v',
                container: 'trainer',
              },
            ],
          },
        ],
        npuNodes: [
          {
            name: 'west-gpu-01',
            npuModel: 'Warboy',
            npus: [
              {
                pattern: 'dataloader-stall',
                namespace: 'ml-training',
                pod: 'vision-batch-x9k2m',
                container: 'worker',
              },
              { pattern: 'unallocated' },
            ],
          },
          {
            name: 'west-gpu-02',
            npuModel: 'RBLN-CA12',
            npus: [
              {
                pattern: 'inference',
                namespace: 'inference',
                pod: 'embed-atom-5b8d7c9f6d-r7tqw',
                container: 'server',
              },
              { pattern: 'unallocated' },
            ],
          },
        ],
      },
    ],
  };
}
