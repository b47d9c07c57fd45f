/** Annotations of the firmware methods: firmware upgrades. */
import { type DomainAnnotations } from './shared';

export const FIRMWARE_ANNOTATIONS: DomainAnnotations = {
  ota_create: {
    summary: 'Start a firmware upgrade',
    fields: {
      devices: { min: 1, description: 'devices to upgrade' },
      'devices[].sn': { min: 1, description: 'device serial number' },
      'devices[].product_version': { min: 1, description: 'firmware version to install, like "10.01.16.04"' },
      'devices[].firmware_upgrade_type': { enum: [2, 3], description: '2 consistency upgrade, 3 normal upgrade' },
      // DJI's own ota_create example sends only sn, product_version and firmware_upgrade_type
      // (DJI Cloud API, firmware upgrade), so the file details are optional here.
      'devices[].file_url': { required: false, description: 'firmware file URL' },
      'devices[].md5': { required: false, description: 'MD5 of the firmware file' },
      'devices[].file_size': { required: false, min: 0, description: 'firmware size in bytes' },
      'devices[].file_name': { required: false, description: 'firmware file name' },
    },
    template: {
      devices: [
        {
          sn: '1581F5BMD228Q00A82XX',
          product_version: '10.01.16.04',
          firmware_upgrade_type: 3,
          file_url: 'https://storage.example.com/firmware/dock2_v10.01.16.04.bin',
          md5: 'c4ca4238a0b923820dcc509a6f75849b',
          file_size: 104857600,
          file_name: 'dock2_v10.01.16.04.bin',
        },
      ],
    },
  },
};
