import { Query, Resolver } from '@nestjs/graphql';
import { DomainError, ErrorCode } from '@kcloud/common';
import { Vm } from './models/vm.model';

@Resolver(() => Vm)
export class VmResolver {
  @Query(() => [Vm], {
    description: 'Virtual machines: answers NOT_SUPPORTED until a VM power source is configured',
  })
  vms(): Vm[] {
    throw new DomainError(
      ErrorCode.NOT_SUPPORTED,
      'vms is not supported yet: no VM source is configured (Kepler’s kepler_vm_* series are not read by this API)',
      { field: 'vms' },
    );
  }
}
