"""Qt-free core: plain dataclasses and pure logic shared by every layer."""
