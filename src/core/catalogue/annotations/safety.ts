/** Annotations of the safety methods: custom flight areas and unlock licences. */
import { type DomainAnnotations } from './shared';

export const SAFETY_ANNOTATIONS: DomainAnnotations = {
  flight_areas_update: { summary: 'Ask the dock to sync custom flight areas' },
  unlock_license_switch: {
    summary: 'Enable or disable an unlock licence',
    fields: { license_id: { min: 0, description: 'licence id from unlock_license_list' }, enable: { description: 'true to enable' } },
    template: { license_id: 1, enable: true },
  },
  unlock_license_update: {
    summary: 'Update unlock licences from a licence file',
    fields: {
      file: { description: 'licence file; omit to update online' },
      'file.url': { min: 1, description: 'URL of the licence file' },
      'file.fingerprint': { description: 'MD5 of the licence file' },
    },
    template: {
      file: { url: 'https://storage.example.com/licenses/unlock.json', fingerprint: '0cc175b9c0f1b6a831c399e269772661' },
    },
  },
  unlock_license_list: {
    summary: 'List the unlock licences of a device',
    fields: { device_model_domain: { min: 0, description: 'device domain (DJI enum; 0 aircraft, 3 dock)' } },
    template: { device_model_domain: 0 },
  },
  flight_areas_get: { summary: 'Get custom flight area files (payload not documented)' },
};
