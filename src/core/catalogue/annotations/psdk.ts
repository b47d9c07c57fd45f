/** Annotations of the psdk methods: PSDK payloads and the speaker. */
import { type DomainAnnotations, PSDK_INDEX } from './shared';

export const PSDK_ANNOTATIONS: DomainAnnotations = {
  psdk_widget_value_set: {
    summary: 'Set a PSDK widget value',
    fields: { psdk_index: PSDK_INDEX, index: { min: 0, description: 'widget index' }, value: { description: 'widget value' } },
    template: { psdk_index: 0, index: 0, value: 1 },
  },
  psdk_input_box_text_set: {
    summary: 'Fill a PSDK text input box',
    fields: { psdk_index: PSDK_INDEX, value: { description: 'text to send' } },
    template: { psdk_index: 0, value: 'hello' },
  },
  speaker_audio_play_start: {
    summary: 'Play an audio file on the speaker',
    fields: {
      psdk_index: PSDK_INDEX,
      'file.name': { description: 'file name shown to operators' },
      'file.url': { min: 1, description: 'URL the speaker downloads the audio from' },
      'file.md5': { description: 'MD5 of the audio file' },
      'file.format': { description: 'audio format, like "pcm"' },
    },
    template: {
      psdk_index: 0,
      file: {
        name: 'keep-clear.pcm',
        url: 'https://storage.example.com/audio/keep-clear.pcm',
        md5: 'e2fc714c4727ee9395f324cd2e7f331f',
        format: 'pcm',
      },
    },
  },
  speaker_tts_play_start: {
    summary: 'Speak a text on the speaker (TTS)',
    fields: {
      psdk_index: PSDK_INDEX,
      'tts.name': { description: 'name shown to operators' },
      'tts.text': { min: 1, description: 'text to speak' },
      'tts.md5': { description: 'MD5 of the text' },
    },
    template: {
      psdk_index: 0,
      tts: { name: 'keep-clear', text: 'Please keep clear of the dock.', md5: '5d41402abc4b2a76b9719d911017c592' },
    },
  },
  speaker_replay: { summary: 'Replay the last speaker audio', fields: { psdk_index: PSDK_INDEX }, template: { psdk_index: 0 } },
  speaker_play_stop: { summary: 'Stop speaker playback', fields: { psdk_index: PSDK_INDEX }, template: { psdk_index: 0 } },
  speaker_play_mode_set: {
    summary: 'Set the speaker play mode (single or loop)',
    fields: { psdk_index: PSDK_INDEX, play_mode: { min: 0, description: 'play mode (DJI enum; 0 single, 1 loop)' } },
    template: { psdk_index: 0, play_mode: 0 },
  },
  speaker_play_volume_set: {
    summary: 'Set the speaker volume (0-100)',
    fields: {
      psdk_index: { min: 0, max: 3, description: 'PSDK payload index (0-3)' },
      index: { min: 0, description: 'speaker index on the payload (UTMOS field)' },
      play_volume: { min: 0, max: 100, description: 'volume in percent (0-100)' },
    },
    template: { psdk_index: 0, index: 0, play_volume: 60 },
  },
  custom_data_transmission_to_psdk: {
    summary: 'Send custom data to a PSDK payload',
    fields: { value: { description: 'data to pass through (text)' } },
    template: { value: 'hello payload' },
  },
  custom_data_transmission_to_esdk: {
    summary: 'Send custom data to an ESDK device',
    fields: { value: { description: 'data to pass through (text)' } },
    template: { value: 'hello esdk' },
  },
};
