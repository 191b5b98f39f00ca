# The operations of FAISS's wiki pages "Special operations on indexes", "Setting search
# parameters for one query", "Index IO" and "Faiss building blocks: clustering", in
# their style: factory strings, ParameterSpace, per-call parameters with an id selector,
# range search, removal, reconstruction, serialization, cosine by normalize_L2 + inner
# product, and k-means.
import os
import tempfile

import numpy as np

import vqsearch.faiss as faiss

d = 32
nb = 5000
nq = 50
rs = np.random.RandomState(123)
xb = rs.rand(nb, d).astype('float32')
xq = rs.rand(nq, d).astype('float32')
k = 10

faiss.omp_set_num_threads(2)

index = faiss.index_factory(d, "IVF64,Flat")
index.train(xb)
index.add(xb)
faiss.ParameterSpace().set_index_parameter(index, "nprobe", 16)
D_ivf, I_ivf = index.search(xq, k)

# only ids in [1000, 3000), with nprobe given for this call
params = faiss.SearchParametersIVF(nprobe=64, sel=faiss.IDSelectorRange(1000, 3000))
D_sel, I_sel = index.search(xq, k, params=params)

# and only the even ids below 2000
subset = np.arange(0, 2000, 2).astype('int64')
params = faiss.SearchParametersIVF(nprobe=64, sel=faiss.IDSelectorBatch(subset))
D_batch, I_batch = index.search(xq, k, params=params)

flat = faiss.IndexFlatL2(d)
flat.add(xb)
radius = 0.8
lims, D_range, I_range = flat.range_search(xq, radius)

removed_batch = flat.remove_ids(np.array([200, 300, 400], dtype='int64'))
removed_range = flat.remove_ids(faiss.IDSelectorRange(0, 100))
ntotal_after_remove = flat.ntotal
D_removed, I_removed = flat.search(xq, k)

recons = flat.reconstruct(1234)

buf = faiss.serialize_index(index)
index2 = faiss.deserialize_index(buf)
index2.nprobe = 16
D_deser, I_deser = index2.search(xq, k)

tmpdir = tempfile.mkdtemp()
fname = os.path.join(tmpdir, "ivf.index")
faiss.write_index(index, fname)
index3 = faiss.read_index(fname)
index3.nprobe = 16
D_read, I_read = index3.search(xq, k)

xb_cos = xb.copy()
faiss.normalize_L2(xb_cos)
xq_cos = xq.copy()
faiss.normalize_L2(xq_cos)
index_ip = faiss.IndexFlatIP(d)
index_ip.add(xb_cos)
D_cos, I_cos = index_ip.search(xq_cos, k)

ncentroids = 64
niter = 20
kmeans = faiss.Kmeans(d, ncentroids, niter=niter, verbose=False, seed=1)
kmeans.train(xb)
D_km, I_km = kmeans.index.search(xb, 1)

index_pq = faiss.index_factory(d, "IVF64,PQ16x4fs,RFlat")
index_pq.train(xb)
index_pq.add(xb)
faiss.ParameterSpace().set_index_parameters(index_pq, "nprobe=16,k_factor_rf=4")
D_refine, I_refine = index_pq.search(xq, k)
