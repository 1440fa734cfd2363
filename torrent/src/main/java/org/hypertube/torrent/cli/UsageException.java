package org.hypertube.torrent.cli;

/** Bad input: exit 2 with the message on one line. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
