/** Annotations of the live methods: livestreams. */
import { type DomainAnnotations, VIDEO_ID, VIDEO_QUALITY } from './shared';

export const LIVE_ANNOTATIONS: DomainAnnotations = {
  live_start_push: {
    summary: 'Start a live video stream',
    fields: {
      url_type: { enum: [0, 1, 3, 4], description: '0 Agora, 1 RTMP, 3 GB28181, 4 WebRTC (WHIP)' },
      url: { min: 1, description: 'stream address (format depends on url_type), like "rtmp://live.example.com/live/dock"' },
      video_id: VIDEO_ID,
      video_quality: VIDEO_QUALITY,
    },
    template: {
      url_type: 1,
      url: 'rtmp://live.example.com/live/dock-1581F5BMD228Q00A82XX',
      video_id: '1581F5BMD228Q00A82XX/80-0-0/normal-0',
      video_quality: 0,
    },
  },
  live_stop_push: {
    summary: 'Stop a live video stream',
    fields: { video_id: VIDEO_ID },
    template: { video_id: '1581F5BMD228Q00A82XX/80-0-0/normal-0' },
  },
  live_set_quality: {
    summary: 'Change the live stream quality',
    fields: { video_id: VIDEO_ID, video_quality: VIDEO_QUALITY },
    template: { video_id: '1581F5BMD228Q00A82XX/80-0-0/normal-0', video_quality: 3 },
  },
  live_lens_change: {
    summary: 'Switch the live stream lens (wide, zoom, IR)',
    fields: { video_id: VIDEO_ID, video_type: { enum: ['normal', 'wide', 'zoom', 'ir'], description: 'lens: "normal", "wide", "zoom" or "ir"' } },
    template: { video_id: '1581F5BMD228Q00A82XX/80-0-0/normal-0', video_type: 'zoom' },
  },
};
