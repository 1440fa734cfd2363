package org.hypertube.playback;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A torrent the server fetches or keeps. Its files live in {@code <data>/media/<info-hash>/}; the row
 * survives restarts so the download resumes, and retention deletes it (files too) when unwatched.
 */
@Entity
@Table(name = "downloads")
class Download {

    enum State {
        /** Fetching (or waiting for metadata); plays while it downloads. */
        ACTIVE,
        /** Stopped by an operator; keeps verified pieces. */
        PAUSED,
        /** Every piece is verified: seeding within the limits, or resting on disk. */
        COMPLETE,
        /** The engine gave up (disk full, bad data); the error says why. */
        FAILED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String infoHash;
    private Long filmId;
    private String uri;
    private String name;
    private Integer fileIndex;
    private String filePath;
    private Long fileLength;
    @Enumerated(EnumType.STRING)
    private State state;
    private String error;
    private Long addedBy;
    private Instant addedAt;
    private Instant completedAt;
    private Instant lastWatchedAt;

    protected Download() {
    }

    Download(String infoHash, Long filmId, String uri, String name, Long addedBy, Instant now) {
        this.infoHash = infoHash;
        this.filmId = filmId;
        this.uri = uri;
        this.name = name == null ? null : name.substring(0, Math.min(500, name.length()));
        this.addedBy = addedBy;
        this.addedAt = now;
        this.state = State.ACTIVE;
    }

    Long getId() { return id; }
    String getInfoHash() { return infoHash; }
    Long getFilmId() { return filmId; }
    String getUri() { return uri; }
    String getName() { return name; }
    Integer getFileIndex() { return fileIndex; }
    String getFilePath() { return filePath; }
    Long getFileLength() { return fileLength; }
    State getState() { return state; }
    String getError() { return error; }
    Long getAddedBy() { return addedBy; }
    Instant getAddedAt() { return addedAt; }
    Instant getCompletedAt() { return completedAt; }
    Instant getLastWatchedAt() { return lastWatchedAt; }

    /** The last time anyone watched it, or when it was added if nobody has yet. */
    Instant lastUse() {
        return lastWatchedAt != null ? lastWatchedAt : addedAt;
    }

    void setName(String name) {
        this.name = name == null ? null : name.substring(0, Math.min(500, name.length()));
    }

    void setFilmId(Long filmId) { this.filmId = filmId; }

    void chooseFile(int index, String path, long length) {
        this.fileIndex = index;
        this.filePath = path;
        this.fileLength = length;
    }

    void setState(State state) {
        this.state = state;
        if (state != State.FAILED) {
            this.error = null;
        }
    }

    void failed(String reason) {
        this.state = State.FAILED;
        this.error = reason == null ? null : reason.substring(0, Math.min(500, reason.length()));
    }

    void completed(Instant when) {
        this.state = State.COMPLETE;
        if (completedAt == null) {
            completedAt = when;
        }
    }

    void watched(Instant when) {
        this.lastWatchedAt = when;
    }
}
