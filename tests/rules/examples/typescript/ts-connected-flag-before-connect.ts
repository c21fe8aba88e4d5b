export class Queue {
  async start() {
    // ruleid: ts-connected-flag-before-connect
    this.isConnected = true;
    await this.client.connect();
  }

  async startSafely() {
    await this.client.connect();
    // Set once the connection exists.
    // ok: ts-connected-flag-before-connect
    this.isConnected = true;
  }

  async startWithReset() {
    // The catch puts the flag back when connect() rejects.
    // ok: ts-connected-flag-before-connect
    this.connected = true;
    try {
      await this.client.connect();
    } catch (err) {
      this.connected = false;
      throw err;
    }
  }

  async stop() {
    // ok: ts-connected-flag-before-connect
    this.connected = false;
    await this.client.disconnect();
  }
}

let connected = false;

export async function connectDb(uri) {
  // ruleid: ts-connected-flag-before-connect
  connected = true;
  const conn = await mongoose.connect(uri);
  return conn;
}
