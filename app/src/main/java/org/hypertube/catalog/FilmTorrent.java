package org.hypertube.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A torrent of a film, as a source offered it. */
@Entity
@Table(name = "film_torrents")
public class FilmTorrent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private Long filmId;
    private String source;
    private String infoHash;
    private String name;
    private String quality;
    private long sizeBytes;
    private int seeds;
    private int peers;
    private String uri;
    private Instant updatedAt;

    protected FilmTorrent() {
    }

    FilmTorrent(Long filmId, String source, String infoHash, String name, String quality, long sizeBytes, int seeds,
                int peers, String uri, Instant updatedAt) {
        this.filmId = filmId;
        this.source = source;
        this.infoHash = infoHash;
        this.name = name == null ? null : name.substring(0, Math.min(500, name.length()));
        this.quality = quality == null ? null : quality.substring(0, Math.min(20, quality.length()));
        this.sizeBytes = sizeBytes;
        this.seeds = seeds;
        this.peers = peers;
        this.uri = uri;
        this.updatedAt = updatedAt;
    }

    public Long getId() { return id; }
    public Long getFilmId() { return filmId; }
    public String getSource() { return source; }
    public String getInfoHash() { return infoHash; }
    public String getName() { return name; }
    public String getQuality() { return quality; }
    public long getSizeBytes() { return sizeBytes; }
    public int getSeeds() { return seeds; }
    public int getPeers() { return peers; }
    public String getUri() { return uri; }
}
