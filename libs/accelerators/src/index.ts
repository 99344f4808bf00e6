export * from './accelerators.module';
export * from './accelerators.service';
export * from './models/gpu.model';
export * from './gpu-view';
