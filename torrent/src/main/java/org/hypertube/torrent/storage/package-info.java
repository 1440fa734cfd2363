/**
 * Torrent data on disk (BEP 3 piece/file mapping, BEP 47 pad files never written): files written
 * sparsely at their offsets inside the download folder, pieces verified with SHA-1 before they
 * count, and resume data so a restart re-checks only files that changed since it was saved.
 */
package org.hypertube.torrent.storage;
