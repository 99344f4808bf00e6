import { type Type, ValidationPipe } from '@nestjs/common';

/**
 * The validation pipe for a nullable input argument typed `X | undefined`. TypeScript emits such a parameter's design
 * type as `Object` under strictNullChecks, so the global ValidationPipe cannot see the class and skips the argument's
 * class-validator rules; naming the class here restores them (an absent argument stays absent).
 */
export function validatedInput<T>(type: Type<T>): ValidationPipe {
  return new ValidationPipe({ expectedType: type, transform: true, forbidUnknownValues: false });
}
