// Activity tasks waiting for workers, and workers long-polling for tasks (GetActivityTask), as
// `sfn.Activity` workers poll the service. Tasks are handed out oldest first, each to one worker.
import type { Json } from '../asl';

/** What GetActivityTask returns: a task, or empty members when the poll timed out. */
export interface ActivityTask {
  readonly taskToken?: string;
  readonly input?: string;
}

interface Poller {
  resolve(task: ActivityTask): void;
  timer: NodeJS.Timeout;
}

/** Pending activity tasks and waiting workers, per activity ARN. */
export class ActivityQueues {
  private readonly tasks = new Map<string, { token: string; input: Json }[]>();
  private readonly pollers = new Map<string, Poller[]>();

  /** @param isOpen whether a queued task still waits (its execution may have ended meanwhile) */
  constructor(private readonly isOpen: (token: string) => boolean = () => true) {}

  /** Hands a task to the longest-waiting worker, or queues it. */
  dispatch(activityArn: string, token: string, input: Json): void {
    const poller = this.pollers.get(activityArn)?.shift();
    if (poller) {
      clearTimeout(poller.timer);
      return poller.resolve({ taskToken: token, input: JSON.stringify(input) });
    }
    let list = this.tasks.get(activityArn);
    if (!list) this.tasks.set(activityArn, (list = []));
    list.push({ token, input });
  }

  /**
   * Waits up to `timeoutMs` for a task (AWS holds a poll open for 60 s); answers empty members
   * when none came.
   */
  poll(activityArn: string, timeoutMs: number): Promise<ActivityTask> {
    const list = this.tasks.get(activityArn);
    let queued = list?.shift();
    while (queued && !this.isOpen(queued.token)) queued = list?.shift();
    if (queued) return Promise.resolve({ taskToken: queued.token, input: JSON.stringify(queued.input) });
    return new Promise((resolve) => {
      let list = this.pollers.get(activityArn);
      if (!list) this.pollers.set(activityArn, (list = []));
      const poller: Poller = {
        resolve,
        timer: setTimeout(() => {
          const l = this.pollers.get(activityArn);
          if (l) l.splice(l.indexOf(poller), 1);
          resolve({});
        }, timeoutMs),
      };
      list.push(poller);
    });
  }

  /** Drops the queued tasks of a deleted activity and the tasks whose execution has ended. */
  forget(activityArn: string): void {
    this.tasks.delete(activityArn);
  }

  /** Answers every waiting worker with no task (on server close). */
  close(): void {
    for (const list of this.pollers.values()) {
      for (const p of list) {
        clearTimeout(p.timer);
        p.resolve({});
      }
    }
    this.pollers.clear();
  }
}
