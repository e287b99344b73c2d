// Cold start: a new process loads aws-local-stepfunctions and runs a one-state machine.
import { preparePeer } from './engines';
import { oneStateDefinition } from './tasks';

preparePeer(oneStateDefinition).then((p) => p.run({}));
