/**
 * Argument schema of the `swapoff` module. Nothing here can destroy data: swap entries in
 * fstab are commented out (never deleted), swap files are left on disk.
 */
import type { SchemaObject } from 'ajv';

export interface SwapoffArgs {
  fstab?: string;
  mask_units?: boolean;
}

export const swapoffArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    fstab: { type: 'string', default: '/etc/fstab', description: 'The fstab whose swap entries are commented out (prefixed with "# k3play swapoff: "); other lines stay byte for byte.' },
    mask_units: {
      type: 'boolean',
      default: true,
      description: 'Mask systemd .swap units that are active or enabled (`systemctl mask`), so no unit turns swap on again at boot. Ignored where systemd does not run.',
    },
  },
};
