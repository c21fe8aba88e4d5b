class Sender {
    Receipt send(Message m) throws IOException {
        IOException last = null;
        // ruleid: java-retry-without-backoff
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return client.send(m);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    Receipt sendPatiently(Message m) throws Exception {
        IOException last = null;
        // ok: java-retry-without-backoff
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return client.send(m);
            } catch (IOException e) {
                last = e;
                Thread.sleep(200L << attempt);
            }
        }
        throw last;
    }
}

class Dispatcher {
    // A worker loop that puts failed work back on a delay queue: the wait happens there.
    void work() throws InterruptedException {
        // ok: java-retry-without-backoff
        while (running) {
            Task task = tasks.take();
            Duration retryAfter = task.retryAfter();
            try {
                handle(task);
                continue;
            } catch (Exception e) {
                log.error("task failed, requeueing", e);
                retryAfter = retryAfter.multipliedBy(2);
            }
            tasks.add(new DelayedTask(task, retryAfter));
        }
    }

    // Requeued at once: the failing task comes straight back.
    void workEagerly() throws InterruptedException {
        // ruleid: java-retry-without-backoff
        while (running) {
            Task task = tasks.take();
            try {
                handle(task);
            } catch (Exception e) {
                log.error("task failed, requeueing", e);
                tasks.add(task.withRetries(task.retries() + 1));
            }
        }
    }
}
