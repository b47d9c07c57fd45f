/** The MQTT client settings and chores shared by the simulated platform and its docks. */
import mqtt, { MqttClient } from 'mqtt';

export interface ClientOptions {
  clientId: string;
  username?: string;
  password?: string;
}

/** A client that reconnects quickly (the broker may be restarted by a test control). */
export function openClient(url: string, options: ClientOptions): MqttClient {
  return mqtt.connect(url, { ...options, clean: true, reconnectPeriod: 500, connectTimeout: 5000 });
}

/** Resolves on the client's first connection; rejects on an error before it. */
export function firstConnect(client: MqttClient): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    client.once('error', onError);
    client.once('connect', () => {
      client.removeListener('error', onError);
      resolve();
    });
  });
}

export function closeClient(client: MqttClient): Promise<void> {
  return new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
}

/** Publishes `message` as JSON (never retained); failures are logged, not thrown. */
export function publishJson(client: MqttClient, topic: string, message: unknown, qos: 0 | 1, log: (line: string) => void): void {
  client.publish(topic, JSON.stringify(message), { qos, retain: false }, (err) => {
    if (err) log(`publish to ${topic} failed: ${err.message}`);
  });
}
