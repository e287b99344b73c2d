// Cold start baseline: a new process runs the handwritten equivalent of a one-state machine.
Promise.resolve({ ok: true }).then((r) => {
  if (!r.ok) process.exit(1);
});
