/** The promise API of the `ping` package (0.4), which ships no types. */
declare module 'ping' {
  namespace ping {
    interface PingConfig {
      numeric?: boolean;
      /** Seconds to wait for a reply (-W), whole seconds. */
      timeout?: number;
      /** Seconds before ping exits whatever happens (-w). */
      deadline?: number;
      /** Packets to send (-c). */
      min_reply?: number;
      v6?: boolean;
      extra?: string[];
    }
    interface PingResponse {
      inputHost: string;
      host: string;
      alive: boolean;
      output: string;
      times: number[];
      min: string;
      max: string;
      avg: string;
      stddev: string;
      packetLoss: string;
    }
  }
  const ping: { promise: { probe(address: string, config?: ping.PingConfig): Promise<ping.PingResponse> } };
  export = ping;
}
