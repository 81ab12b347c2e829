package io.qualitylake.ingestion.simulate;

import java.util.Arrays;

/** A binary min-heap of (time, payload) long pairs: 16 bytes an entry, no boxing. Ties: smaller payload first. */
final class LongPairHeap {
    private long[] times = new long[1024];
    private long[] payloads = new long[1024];
    private int size;

    void push(long time, long payload) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            payloads = Arrays.copyOf(payloads, size * 2);
        }
        int i = size++;
        times[i] = time;
        payloads[i] = payload;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(i, parent)) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    boolean isEmpty() { return size == 0; }

    int size() { return size; }

    long peekTime() { return times[0]; }

    long peekPayload() { return payloads[0]; }

    void pop() {
        size--;
        times[0] = times[size];
        payloads[0] = payloads[size];
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = i;
            if (l < size && less(l, m)) {
                m = l;
            }
            if (r < size && less(r, m)) {
                m = r;
            }
            if (m == i) {
                return;
            }
            swap(i, m);
            i = m;
        }
    }

    private boolean less(int a, int b) {
        return times[a] < times[b] || (times[a] == times[b] && payloads[a] < payloads[b]);
    }

    private void swap(int a, int b) {
        long t = times[a];
        times[a] = times[b];
        times[b] = t;
        long p = payloads[a];
        payloads[a] = payloads[b];
        payloads[b] = p;
    }
}
