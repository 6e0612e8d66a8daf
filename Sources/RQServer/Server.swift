import RQLoop
import RQStore
