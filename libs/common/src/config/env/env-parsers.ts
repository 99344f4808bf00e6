/** Boolean variables accept true/false and 1/0; anything else is left for @IsBoolean to refuse. */
export const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** The IsUrl options of every http(s) endpoint variable: internal host names have no TLD, the scheme is required. */
export const HTTP_URL = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };
