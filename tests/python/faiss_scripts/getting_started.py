# FAISS's "Getting started" tutorial (exact search with IndexFlatL2), written as the
# tutorial writes it; the database is smaller so that the test suite stays quick.
import numpy as np

d = 64                           # dimension
nb = 20000                       # database size
nq = 500                         # nb of queries
np.random.seed(1234)             # make reproducible
xb = np.random.random((nb, d)).astype('float32')
xb[:, 0] += np.arange(nb) / 1000.
xq = np.random.random((nq, d)).astype('float32')
xq[:, 0] += np.arange(nq) / 1000.

import vqsearch.faiss as faiss   # make faiss available
index = faiss.IndexFlatL2(d)   # build the index
print(index.is_trained)
index.add(xb)                  # add vectors to the index
print(index.ntotal)

k = 4                          # we want to see 4 nearest neighbors
D_sanity, I_sanity = index.search(xb[:5], k)  # sanity check
print(I_sanity)
print(D_sanity)
D, I = index.search(xq, k)     # actual search
print(I[:5])                   # neighbors of the 5 first queries
print(I[-5:])                  # neighbors of the 5 last queries
