package com.acme.events;

import com.google.common.collect.Lists;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.scheduling.annotation.Scheduled;

public class OutboxPoller {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private List<OutboxHandler> handlers;

    public OutboxPoller() {
        // ruleid: java-collection-shared-with-background-thread
        handlers = Lists.newLinkedList();
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
    }

    public void register(OutboxHandler handler) {
        handlers.add(handler);
    }

    private void poll() {
        for (OutboxEvent event : store.pending()) {
            for (OutboxHandler handler : handlers) {
                handler.handle(event);
            }
        }
    }
}

class MetricsFlusher {
    // ruleid: java-collection-shared-with-background-thread
    private final Map<String, Long> counters = new HashMap<>();

    public void increment(String name) {
        counters.put(name, counters.getOrDefault(name, 0L) + 1);
    }

    @Scheduled(fixedDelay = 10_000)
    void flush() {
        counters.forEach((name, value) -> sink.send(name, value));
    }
}

class SafeListeners {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    // ok: java-collection-shared-with-background-thread
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public void add(Runnable r) {
        listeners.add(r);
    }

    public void start() {
        timer.scheduleAtFixedRate(() -> listeners.forEach(Runnable::run), 0, 5, TimeUnit.SECONDS);
    }
}

class LockedListeners {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    // ok: java-collection-shared-with-background-thread
    private final List<Runnable> listeners = new ArrayList<>();

    public void add(Runnable r) {
        synchronized (listeners) {
            listeners.add(r);
        }
    }

    public void start() {
        timer.scheduleAtFixedRate(this::fire, 0, 5, TimeUnit.SECONDS);
    }

    private void fire() {
        synchronized (listeners) {
            for (Runnable r : listeners) {
                r.run();
            }
        }
    }
}

class Batch {
    // No background work here: the caller's thread is the only one.
    // ok: java-collection-shared-with-background-thread
    private final List<String> lines = new ArrayList<>();

    public void add(String line) {
        lines.add(line);
    }

    public int total() {
        int n = 0;
        for (String line : lines) {
            n += line.length();
        }
        return n;
    }
}
