package jocker.layers;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream whose write errors say what was being written. The JDK's
 * own say only "No space left on device": of a pull or an import that
 * writes hundreds of files into the data root, the user then learns nothing
 * about which layer or file, or even where.
 */
public final class NamedOutputStream extends FilterOutputStream {
    private final String what;

    /** what: the start of each error ("layer sha256:ab12...: cannot write /usr/lib/libc.so.6"). */
    public NamedOutputStream(OutputStream out, String what) {
        super(out);
        this.what = what;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            throw named(e);
        }
    }

    private IOException named(IOException e) {
        return new IOException(what + ": " + e.getMessage(), e);
    }
}
