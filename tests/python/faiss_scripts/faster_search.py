# FAISS's "Faster search" tutorial (IndexIVFFlat, then nprobe), as the tutorial writes it
# on the data of "Getting started" (smaller, for a quick test).
import numpy as np

d = 64
nb = 20000
nq = 500
np.random.seed(1234)
xb = np.random.random((nb, d)).astype('float32')
xb[:, 0] += np.arange(nb) / 1000.
xq = np.random.random((nq, d)).astype('float32')
xq[:, 0] += np.arange(nq) / 1000.

import vqsearch.faiss as faiss

nlist = 100
k = 4
quantizer = faiss.IndexFlatL2(d)  # the other index
index = faiss.IndexIVFFlat(quantizer, d, nlist)
assert not index.is_trained
index.train(xb)
assert index.is_trained

index.add(xb)                  # add may be a bit slower as well
D1, I1 = index.search(xq, k)   # actual search
print(I1[-5:])                 # neighbors of the 5 last queries
index.nprobe = 10              # default nprobe is 1, try a few more
D, I = index.search(xq, k)
print(I[-5:])                  # neighbors of the 5 last queries
