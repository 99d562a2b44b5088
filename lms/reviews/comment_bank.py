"""A trainer's comment bank: comments they saved from a criterion, to insert again on later reviews."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ForeignKey, Index, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from lms.accounts.models import User
from lms.base import utcnow
from lms.extensions import db

MAX_SAVED_COMMENT_LENGTH = 2000  # as long as a criterion's comment may be
MAX_SAVED_COMMENTS = 200


class SavedComment(db.Model):
    """One comment in one trainer's bank (private to them)."""

    __table_args__ = (Index("ix_saved_comment_trainer", "trainer_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentBankError(ValueError):
    """A comment the bank refuses; the message is for the trainer."""


def comments_of(trainer: User) -> list[SavedComment]:
    """The trainer's saved comments, oldest first."""
    return db.session.scalars(
        select(SavedComment).where(SavedComment.trainer_id == trainer.id).order_by(SavedComment.id)
    ).all()


def _clean(text: str) -> str:
    """The comment as it will be kept (line ends unified, outer blanks trimmed), or the reason it cannot be."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise CommentBankError(_("Write the comment before saving it to your bank."))
    if len(text) > MAX_SAVED_COMMENT_LENGTH:
        raise CommentBankError(
            _("The comment is too long (at most %(count)s characters).", count=MAX_SAVED_COMMENT_LENGTH)
        )
    return text


def save_comment(trainer: User, text: str) -> SavedComment:
    """Keep ``text`` in the trainer's bank (once: saving it again changes nothing); the caller commits."""
    text = _clean(text)
    saved = comments_of(trainer)
    for comment in saved:
        if comment.text == text:
            return comment
    if len(saved) >= MAX_SAVED_COMMENTS:
        raise CommentBankError(
            ngettext(
                "Your bank is full (%(num)s comment). Delete one you no longer use first.",
                "Your bank is full (%(num)s comments). Delete one you no longer use first.",
                MAX_SAVED_COMMENTS,
            )
        )
    comment = SavedComment(trainer_id=trainer.id, text=text)
    db.session.add(comment)
    return comment


def saved_comment(trainer: User, comment_id: int | None) -> SavedComment | None:
    """One of the trainer's own saved comments (None for anybody else's)."""
    if comment_id is None:
        return None
    return db.session.scalar(
        select(SavedComment).where(SavedComment.id == comment_id, SavedComment.trainer_id == trainer.id)
    )


def edit_comment(comment: SavedComment, text: str) -> None:
    """Change a saved comment's text (the bank keeps each text once); the caller commits."""
    text = _clean(text)
    twin = db.session.scalar(
        select(SavedComment.id).where(
            SavedComment.trainer_id == comment.trainer_id, SavedComment.text == text, SavedComment.id != comment.id
        )
    )
    if twin is not None:
        raise CommentBankError(_("This comment is already in your bank."))
    comment.text = text


def delete_comment(comment: SavedComment) -> None:
    """Take a comment out of the bank (reviews it was inserted into keep their copy); the caller commits."""
    db.session.delete(comment)
