// Prints a port P such that P and P+1 are both free on 127.0.0.1: swtpm's TCTI ("swtpm:port=P") finds
// the control channel at P+1, so the pair must be consecutive. Binding is the only honest test of "free".
import net from 'node:net';

function tryBind(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

for (let attempt = 0; attempt < 200; attempt++) {
  const base = 20000 + Math.floor(Math.random() * 40000);
  const a = await tryBind(base);
  if (!a) continue;
  const b = await tryBind(base + 1);
  a.close();
  if (!b) continue;
  b.close();
  process.stdout.write(`${base}\n`);
  process.exit(0);
}
process.stderr.write('no free consecutive port pair on 127.0.0.1\n');
process.exit(1);
