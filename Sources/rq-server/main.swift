import RQServer
print("rq-server")
