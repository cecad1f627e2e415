import express from 'express';

/** The baseline: a bare Express 5 JSON POST endpoint, nothing behind it. Prints its port. */
const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '64kb' }));
app.post('/api/tasks/:id/events', (req, res) => {
  res.json({ ok: true, id: req.params.id, type: (req.body as { type?: string }).type });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`port ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
