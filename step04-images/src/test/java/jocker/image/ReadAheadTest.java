package jocker.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadAheadTest {
    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void givesTheSourcesBytesInOrderWhateverTheReadSizes() throws IOException {
        for (int size : new int[] {0, 1, 4095, 1 << 18, (1 << 18) + 1, 5_000_000}) {
            byte[] data = random(size);
            try (ReadAhead in = new ReadAhead(new ByteArrayInputStream(data), "test")) {
                byte[] got = new byte[size];
                int off = 0;
                int step = 1;
                while (off < size) {
                    int n = in.read(got, off, Math.min(step, size - off));
                    assertTrue(n > 0);
                    off += n;
                    step = step > 100_000 ? 1 : step * 3 + 1; // odd sizes, across chunk boundaries
                }
                assertArrayEquals(data, got, "size " + size);
                assertEquals(-1, in.read());
                assertEquals(-1, in.read(new byte[8], 0, 8));
            }
        }
    }

    @Test
    void whatTheSourceThrowsReachesTheReaderAfterTheBytesBeforeIt() throws IOException {
        byte[] data = random(1000);
        InputStream failing = new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                if (pos == data.length) {
                    throw new IOException("connection reset");
                }
                return data[pos++] & 0xff;
            }
        };
        try (ReadAhead in = new ReadAhead(failing, "test")) {
            assertArrayEquals(data, in.readNBytes(1000));
            IOException e = assertThrows(IOException.class, in::read);
            assertEquals("connection reset", e.getMessage());
            // and again: reading "the rest" after a failure must not look like a whole, shorter stream
            assertEquals("connection reset", assertThrows(IOException.class,
                    () -> in.transferTo(java.io.OutputStream.nullOutputStream())).getMessage());
        }
    }

    @Test
    void closingEarlyStopsTheThreadWhichClosesTheSource() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        InputStream endless = new FilterInputStream(InputStream.nullInputStream()) {
            @Override
            public int read(byte[] b, int off, int len) {
                return len; // never ends
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
        ReadAhead in = new ReadAhead(endless, "test");
        assertEquals(100, in.readNBytes(100).length);
        in.close();
        assertTrue(closed.await(5, TimeUnit.SECONDS), "the source was closed");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("test") && t.isAlive()),
                "the thread ended");
    }
}
