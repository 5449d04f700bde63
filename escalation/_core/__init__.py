"""What every layer shares: the time vocabulary and keys, text, words, the result protocol, the level and draw
count, atomic writes and output formats, memory, threads and progress. Nothing here imports another layer."""
