package org.hypertube.torrent;

import java.nio.file.Path;

/** One file of a torrent with the bytes of it that are verified. */
public record FileInfo(String path, Path location, long length, long verifiedBytes, int priority) {}
