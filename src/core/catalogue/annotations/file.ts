/** Annotations of the file methods: remote logs and media uploads. */
import { type DomainAnnotations, FLIGHT_ID } from './shared';

export const FILE_ANNOTATIONS: DomainAnnotations = {
  fileupload_start: {
    summary: 'Upload device logs to object storage',
    fields: {
      bucket: { min: 1, description: 'object storage bucket' },
      region: { description: 'storage region, like "us-east-1"' },
      credentials: { description: 'temporary storage credentials' },
      'credentials.expire': { min: 0, description: 'credential lifetime in seconds' },
      endpoint: { min: 1, description: 'storage endpoint URL' },
      provider: { description: 'storage provider: "ali", "aws" or "minio" (DJI values)' },
      params: { description: 'which log files to upload' },
      'params.files': { min: 1 },
      'params.files[].object_key': { min: 1, description: 'object key to upload to' },
      'params.files[].module': { description: 'log module as a string: "0" aircraft, "3" dock' },
      'params.files[].list': { description: 'DJI fileupload_start: the logs to upload, an array of {"boot_index": n} taken from fileupload_list' },
      'params.files[].list[].boot_index': { min: 0, description: 'boot index from fileupload_list' },
    },
    template: {
      bucket: 'dock-logs',
      region: 'us-east-1',
      credentials: {
        access_key_id: 'your-access-key-id',
        access_key_secret: 'your-access-key-secret',
        expire: 3600,
        security_token: 'example-session-token',
      },
      endpoint: 'https://s3.us-east-1.amazonaws.com',
      provider: 'aws',
      params: {
        files: [{ object_key: 'logs/1581F5BMD228Q00A82XX/dock-boot-12.tar.gz', module: '3', list: [{ boot_index: 12 }] }],
      },
    },
  },
  fileupload_list: {
    summary: 'List device log files that can be uploaded',
    fields: { module_list: { min: 1, description: 'log modules as strings: "0" aircraft, "3" dock' } },
    template: { module_list: ['0', '3'] },
  },
  fileupload_update: {
    summary: 'Cancel a log upload',
    fields: {
      status: { enum: ['cancel'], description: '"cancel" (the only documented value)' },
      module_list: { description: 'log modules as strings: "0" aircraft, "3" dock' },
    },
    template: { status: 'cancel', module_list: ['0', '3'] },
  },
  upload_flighttask_media_prioritize: {
    summary: 'Upload the media of one task first',
    fields: { flight_id: FLIGHT_ID },
    template: { flight_id: 'c5f1a2e4-3b6d-4f1e-9a57-2d0e8b7c1f30' },
  },
};
