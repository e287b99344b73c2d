// Cold start: a new process loads Stepwise's interpreter and runs a one-state machine.
import { compile, execute } from '../lib/asl';
import { oneStateDefinition } from './tasks';

execute(compile(oneStateDefinition), {}).then((r) => {
  if (r.status !== 'SUCCEEDED') process.exit(1);
});
