package jocker.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stream read by a thread of its own, a few chunks ahead of its reader:
 * whatever work reading the source does (hashing, writing a copy,
 * decompressing) runs on another core while the reader works on what it
 * got. A pull is three such stages: download (hashed and kept as the
 * blob), gunzip (hashed for the diff id), and the files the tar holds.
 *
 * <p>The source is read, and closed, by the thread alone. An exception it
 * throws reaches the reader at the point of the stream where it happened,
 * and again at every later read: a stream that failed does not end as if
 * it were whole (a reader that reads "the rest" after a failure would take
 * the bytes before it for all there was).
 */
public final class ReadAhead extends InputStream {
    private static final int CHUNK = 1 << 18;
    private static final int CHUNKS = 16;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread reader;
    private volatile boolean closed;
    private volatile Throwable failure;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    public ReadAhead(InputStream source, String name) {
        reader = new Thread(() -> fill(source), name);
        reader.setDaemon(true);
        reader.start();
    }

    private void fill(InputStream source) {
        try (source) {
            while (!closed) {
                byte[] chunk = new byte[CHUNK];
                int n = 0;
                try {
                    for (int r; n < CHUNK && (r = source.read(chunk, n, CHUNK - n)) > 0; ) {
                        n += r;
                    }
                } finally {
                    if (n > 0) {
                        hand(n == CHUNK ? chunk : Arrays.copyOf(chunk, n)); // the bytes before a failure too
                    }
                }
                if (n < CHUNK) {
                    break;
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
        try {
            hand(END); // after failure is set: the reader sees it when it gets here
        } catch (InterruptedException e) {
            // closed: nobody reads any more
        }
    }

    private void hand(byte[] chunk) throws InterruptedException {
        while (!closed && !chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            // the reader is busy: wait for room, unless it closed
        }
    }

    /** The next chunk, or false at the end (throwing what the source threw, if it threw). */
    private boolean next() throws IOException {
        if (ended) {
            return rethrowFailure();
        }
        try {
            current = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted reading ahead");
        }
        pos = 0;
        if (current == END) {
            ended = true;
            return rethrowFailure();
        }
        return true;
    }

    /** At the end: throws what the source threw, if it threw; else false. */
    private boolean rethrowFailure() throws IOException {
        Throwable t = failure;
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return false;
    }

    @Override
    public int read() throws IOException {
        while (pos == current.length) {
            if (!next()) {
                return -1;
            }
        }
        return current[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (pos == current.length) {
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - pos;
    }

    /** Stops the thread (it closes the source) and waits for it. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        reader.interrupt();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chunks.clear();
        current = new byte[0];
        pos = 0;
    }
}
