package jocker.doctor;

/** One thing `doctor` looks at on the host. */
public interface Check {
    Result run();

    enum Status { OK, INFO, WARN, FAIL }

    /** What was found and, when something is wrong, how to fix it. */
    record Result(Status status, String name, String detail, String fix) {
        public static Result ok(String name, String detail) {
            return new Result(Status.OK, name, detail, null);
        }

        public static Result info(String name, String detail) {
            return new Result(Status.INFO, name, detail, null);
        }

        public static Result warn(String name, String detail, String fix) {
            return new Result(Status.WARN, name, detail, fix);
        }

        public static Result fail(String name, String detail, String fix) {
            return new Result(Status.FAIL, name, detail, fix);
        }
    }
}
