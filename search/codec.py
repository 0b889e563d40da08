"""The old import path of the compact codec, kept because Whoosh's table of contents pickles
each segment with its codec: indexes written before the engine package name
`search.codec.CompactCodec` and must keep opening. New code imports
search.engine.whoosh.codec."""

from search.engine.whoosh.codec import CompactCodec

__all__ = ["CompactCodec"]
