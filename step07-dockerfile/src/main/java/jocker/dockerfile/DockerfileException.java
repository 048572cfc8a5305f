package jocker.dockerfile;

import jocker.sys.JockerException;

/** A Dockerfile the parser or the builder refuses; line is where (0: the file as a whole). */
public final class DockerfileException extends JockerException {
    private final int line;

    public DockerfileException(int line, String message) {
        super(line > 0 ? "dockerfile parse error on line " + line + ": " + message : message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
