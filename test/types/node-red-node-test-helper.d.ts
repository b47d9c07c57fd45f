declare module 'node-red-node-test-helper' {
  const helper: {
    init(nodeRedPath: string, settings?: Record<string, unknown>): void;
    load(nodes: unknown, flow: object[], credentials?: Record<string, Record<string, string>>): Promise<void>;
    unload(): Promise<void>;
    setFlows(flow: object[], type: 'full' | 'flows' | 'nodes', credentials?: Record<string, Record<string, string>>): Promise<void>;
    getNode(id: string): any;
    startServer(): Promise<void>;
    stopServer(): Promise<void>;
    url(): string;
    request(): any;
    log(): any;
    settings(s: Record<string, unknown>): void;
  };
  export = helper;
}
