/**
 * vLLM's admission rules, reduced to what clients can observe: at most `--max-num-seqs` sequences
 * generate at once and the rest wait first-come-first-served (or by `priority`, lower first, under
 * `--scheduling-policy priority`); at most `--max-loras` distinct adapters run at once, and a
 * request whose adapter does not fit is skipped (it keeps its place) while later requests go ahead.
 */

export interface Job {
  /** The LoRA adapter this job runs under, or null for the base model. */
  readonly lora: string | null;
  /** Sequences this job occupies (its number of choices). */
  readonly seqs: number;
  /** Lower runs first under the priority policy. */
  readonly priority: number;
  /** Called once when the job gets its slots. Must not finish synchronously. */
  start(): void;
}

export class Scheduler<J extends Job> {
  readonly running = new Set<J>();
  readonly waiting: J[] = [];
  private runningSeqs = 0;
  private readonly loraRefs = new Map<string, number>();

  constructor(
    private readonly maxNumSeqs: number,
    private readonly maxLoras: number,
    private readonly byPriority: boolean,
  ) {}

  submit(job: J): void {
    // Under the priority policy a job queues behind every job of equal or lower priority value.
    const before = this.byPriority ? this.waiting.findIndex((other) => other.priority > job.priority) : -1;
    if (before < 0) this.waiting.push(job);
    else this.waiting.splice(before, 0, job);
    this.admit();
  }

  /** Frees a running job's slots, or drops a waiting job whose client went away. */
  remove(job: J): void {
    if (this.running.delete(job)) {
      this.runningSeqs -= job.seqs;
      if (job.lora !== null) {
        const refs = (this.loraRefs.get(job.lora) ?? 1) - 1;
        if (refs === 0) this.loraRefs.delete(job.lora);
        else this.loraRefs.set(job.lora, refs);
      }
    } else {
      const index = this.waiting.indexOf(job);
      if (index >= 0) this.waiting.splice(index, 1);
    }
    this.admit();
  }

  get runningSeqCount(): number {
    return this.runningSeqs;
  }

  get waitingSeqCount(): number {
    return this.waiting.reduce((sum, job) => sum + job.seqs, 0);
  }

  private admit(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const job = this.waiting[i];
      if (!job) break;
      // A request with more choices than max_num_seqs still runs, alone.
      if (this.runningSeqs > 0 && this.runningSeqs + job.seqs > this.maxNumSeqs) break;
      if (job.lora !== null && !this.loraRefs.has(job.lora) && this.loraRefs.size >= this.maxLoras) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.running.add(job);
      this.runningSeqs += job.seqs;
      if (job.lora !== null) this.loraRefs.set(job.lora, (this.loraRefs.get(job.lora) ?? 0) + 1);
      job.start();
    }
  }
}
