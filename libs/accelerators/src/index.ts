export * from './accelerators.module';
export * from './accelerators.service';
export * from './models/gpu.model';
export * from './gpu-view';
export * from './npu.service';
export * from './models/npu.model';
export * from './models/accelerator.model';
export * from './npu-view';
