import type { Socket } from 'node:net';

const corked = new WeakSet<Socket>();

/**
 * Holds a socket's writes until the current tick ends, then sends them in one writev: a burst
 * of PDUs (submits from one claim, responses to one read) costs one system call, not one each.
 * With Nagle off this is what keeps small PDUs from going out one packet at a time.
 */
export function corkUntilNextTick(socket: Socket): void {
  if (corked.has(socket)) return;
  corked.add(socket);
  socket.cork();
  process.nextTick(() => {
    corked.delete(socket);
    socket.uncork();
  });
}
