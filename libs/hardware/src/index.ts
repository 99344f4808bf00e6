export * from './hardware.module';
export * from './hardware.service';
export * from './models/ipmi-sensor.model';
