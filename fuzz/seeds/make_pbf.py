# Writes two tiny OpenStreetMap PBF files (five nodes, two railway ways, one
# station; one raw and one zlib-compressed block) as seeds for the osm_pbf
# fuzz target: python3 make_pbf.py CORPUS_DIR
import struct, zlib, sys
def varint(n):
    out=b''
    while True:
        b=n&0x7f; n>>=7
        if n: out+=bytes([b|0x80])
        else: return out+bytes([b])
def zz(n): return (n<<1) ^ (n>>63)
def key(f,t): return varint((f<<3)|t)
def ld(f,b): return key(f,2)+varint(len(b))+b
def vi(f,n): return key(f,0)+varint(n)
def packed(f,vals): return ld(f,b''.join(varint(v) for v in vals))
def delta(vals):
    out=[];p=0
    for v in vals: out.append(zz(v-p)); p=v
    return out
def blob(typ,data,compress):
    if compress: b=vi(2,len(data))+ld(3,zlib.compress(data))
    else: b=ld(1,data)
    h=ld(1,typ.encode())+vi(3,len(b))
    return struct.pack('>I',len(h))+h+b
hdr=ld(4,b'OsmSchema-V0.6')+ld(4,b'DenseNodes')
strings=[b'',b'railway',b'rail',b'name',b'Alpha',b'gauge',b'1435',b'railway',b'station']
st=b''.join(ld(1,s) for s in strings)
ids=[1,2,3,4,5]
lat=[int(x*1e7/100) for x in [50.0,50.01,50.02,50.01,50.03]]
lon=[int(x*1e7/100) for x in [7.0,7.01,7.02,7.03,7.04]]
kv=[3,4,7,8,0,0,0,0,0]
dense=packed(1,delta(ids))+packed(8,delta(lat))+packed(9,delta(lon))+packed(10,kv)
w1=vi(1,10)+packed(2,[1,5])+packed(3,[2,6])+packed(8,delta([1,2,3]))
w2=vi(1,11)+packed(2,[1])+packed(3,[2])+packed(8,delta([2,4,5]))
grp1=ld(2,dense); grp2=ld(3,w1)+ld(3,w2)
block=ld(1,st)+ld(2,grp1)+ld(2,grp2)
for name,c in [('tiny-raw',False),('tiny-zlib',True)]:
    open(sys.argv[1]+'/'+name+'.osm.pbf','wb').write(blob('OSMHeader',hdr,c)+blob('OSMData',block,c))
