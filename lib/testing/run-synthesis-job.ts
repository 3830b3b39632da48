// A separate process running one synthesis job, for the test that kills a worker mid-job:
// node --conditions=react-server --import tsx lib/testing/run-synthesis-job.ts JOB_ID LEASE_MS
import { executeJob } from "@/lib/synthesis/service";

const [jobId, leaseMs] = process.argv.slice(2);
if (!jobId) throw new Error("usage: run-synthesis-job.ts JOB_ID [LEASE_MS]");
void executeJob(jobId, { concurrency: 4, workerId: `child-${process.pid}`, leaseMs: Number(leaseMs) || 2000 }).then(
  () => process.exit(0),
);
