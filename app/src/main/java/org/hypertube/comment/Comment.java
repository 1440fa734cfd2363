package org.hypertube.comment;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "comments")
public class Comment {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private Long filmId;
    private Long memberId;
    private String body;
    private Instant createdAt;
    private Instant editedAt;

    protected Comment() {
    }

    Comment(Long filmId, Long memberId, String body, Instant createdAt) {
        this.filmId = filmId;
        this.memberId = memberId;
        this.body = body;
        this.createdAt = createdAt;
    }

    public Long getId() { return id; }
    public Long getFilmId() { return filmId; }
    public Long getMemberId() { return memberId; }
    public String getBody() { return body; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getEditedAt() { return editedAt; }

    void edit(String body, Instant at) {
        this.body = body;
        this.editedAt = at;
    }
}
