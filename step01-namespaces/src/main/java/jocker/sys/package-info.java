/**
 * The system calls jocker makes, and the one class that binds them (LibC).
 *
 * <p>Every system call of the course is declared here and nowhere else, so a
 * learner can see the whole kernel surface in one file. Direct mapping
 * ({@code Native.register}) is used instead of an interface proxy because it
 * is cheaper to start: the container's init JVM loads this class on its
 * critical path. Each method throws {@code LastErrorException} when the call
 * fails; {@code SysException.of} turns that into a message naming what was
 * being done. Man page section 2 (or 3 for library wrappers) documents each.
 */
package jocker.sys;
