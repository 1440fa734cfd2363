package org.hypertube.comment;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface CommentRepository extends JpaRepository<Comment, Long> {

    Page<Comment> findByFilmIdOrderByCreatedAtDescIdDesc(Long filmId, Pageable page);

    Page<Comment> findAllByOrderByCreatedAtDescIdDesc(Pageable page);

    long countByFilmId(Long filmId);

    Page<Comment> findByMemberIdOrderByCreatedAtDescIdDesc(Long memberId, Pageable page);
}
