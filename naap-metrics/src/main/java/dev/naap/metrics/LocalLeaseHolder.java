package dev.naap.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lease's holder on this machine, noted in a file of the store's data directory and locked by
 * the process while its claim may be live: so that the next process of the same store here (an
 * import run again after one was killed) takes back the lease of a dead one at once, instead of
 * after the ttl.
 *
 * <p>The file holds the name of the last process of this directory that claimed the lease. That
 * process locks the file ({@code fcntl}) before it inserts a claim and unlocks it only once it no
 * longer acts on it (it released the lease, or learned it does not hold it); the operating system
 * unlocks it when the process dies, however it dies. So a process that gets the lock and finds a
 * holder's name in the file knows that holder will never write again unless it claims anew, which
 * takes the lock first. A pid would not say as much: it can be reused, and means nothing in another
 * pid namespace. The lock is shared by every process that opens the file, whichever its pid
 * namespace, and the host is checked as well, in case the directory is on a network file system
 * without working locks. Processes of another store or another host never see this file: they
 * wait for the ttl, as before.
 */
public final class LocalLeaseHolder {

  /** The file's name in the data directory. */
  public static final String FILE = "refresh-lease-holder";

  private final Path file;
  private final String host;
  private FileChannel channel;
  private FileLock lock;

  /** The holder file of the store in {@code dir}, for a process on {@code host}. */
  public LocalLeaseHolder(Path dir, String host) {
    this.file = dir.resolve(FILE);
    this.host = host;
  }

  /**
   * Locks the file for this process and names {@code holder} in it; false when another live
   * process of this directory holds the lock (it is claiming or holds the lease).
   */
  synchronized boolean note(String holder) {
    if (!lock()) {
      return false;
    }
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((holder + "\n" + host + "\n")
          .getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return true;
    } catch (IOException e) {
      unlock(); // not noted: a successor waits for the ttl
      return false;
    }
  }

  /**
   * Whether {@code holder} is a process of this directory on this host that died or gave its
   * claim up: true only when this process got the lock and the file names it. Keeps the lock when
   * true (the caller claims next), unlocks it otherwise.
   */
  synchronized boolean isGone(String holder) {
    if (!lock()) {
      return false;
    }
    if (read().equals(holder + "\n" + host + "\n")) {
      return true;
    }
    unlock();
    return false;
  }

  /** Unlocks the file: this process does not act on its claim any more. */
  synchronized void unlock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // closing the channel drops the lock anyway
    } finally {
      lock = null;
      channel = null;
    }
  }

  private boolean lock() {
    if (lock != null) {
      return true;
    }
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // another lease of this JVM holds it: alive
    } catch (IOException e) {
      lock = null; // no file lock here (a read-only directory): wait for the ttl
    }
    if (lock == null) {
      unlock();
      return false;
    }
    return true;
  }

  private String read() {
    try {
      ByteBuffer buf = ByteBuffer.allocate(1024);
      channel.read(buf, 0);
      return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // names no one: a successor waits for the ttl
    }
  }
}
