# FAISS's "Lower memory footprint" tutorial (IndexIVFPQ), as the tutorial writes it on the
# data of "Getting started" (smaller, for a quick test).
import numpy as np

d = 64
nb = 10000
nq = 500
np.random.seed(1234)
xb = np.random.random((nb, d)).astype('float32')
xb[:, 0] += np.arange(nb) / 1000.
xq = np.random.random((nq, d)).astype('float32')
xq[:, 0] += np.arange(nq) / 1000.

import vqsearch.faiss as faiss

nlist = 100
m = 8                             # number of subquantizers
k = 4
quantizer = faiss.IndexFlatL2(d)  # this remains the same
index = faiss.IndexIVFPQ(quantizer, d, nlist, m, 8)
                                  # 8 specifies that each sub-vector is encoded as 8 bits
index.train(xb)
index.add(xb)
D_sanity, I_sanity = index.search(xb[:5], k)  # sanity check
print(I_sanity)
print(D_sanity)
index.nprobe = 10              # make comparable with experiment above
D, I = index.search(xq, k)     # search
print(I[-5:])
